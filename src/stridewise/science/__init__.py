"""Pure, cited science kernels: load, bone, screening, benefits, pain."""
