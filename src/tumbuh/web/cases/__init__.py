"""Cases: the register, one case with its history and next step, and the JSON API."""
