"""Reusable views of the convolution lab: zoomable grids with numbers, colour bars, filter editor, stepper."""
