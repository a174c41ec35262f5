"""The screens of the guided flow; the main window stacks them."""
