"""The synthetic demo city: a Kota Cilegon whose records behave like the real register.

See docs/demo-city.md for how it is generated and calibrated, and what errors it plants.
"""
