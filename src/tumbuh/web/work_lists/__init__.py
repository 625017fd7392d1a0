"""Work lists: the home page of the kader and the nutritionist, and its API twin."""
