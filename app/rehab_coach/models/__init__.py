"""Pose model files on disk: the registry of installed models, their manifests, and the tools environment.

A leaf: nothing here imports the pose backends. Importing a checkpoint is `rehab_coach.checkpoint_import`.
"""
