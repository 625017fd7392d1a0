"""e-PPGBM files: uploading and confirming an import, reviewing import runs, and the export."""
