"""Synthetic camera pictures of handwritten digits on paper, with exact ground truth."""
