"""Accuracy on real footage: a manifest of clips with counted reps, cached keypoints, and scores."""
