"""The 8 aksi konvergensi and the lokus kelurahan (docs/aksi.md)."""
