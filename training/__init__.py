"""Training, evaluation and export of the paperdigits digit reader (TensorFlow lives only here)."""
