"""Cloud storage backends: the local directory (embedded default) and S3-compatible."""
