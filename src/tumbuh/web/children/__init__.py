"""Children and their measurements: the pages, the data-entry pages of a posyandu
session and the JSON API."""
