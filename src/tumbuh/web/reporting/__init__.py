"""Reports: the semester report files built in the background, the reports page and the
data-quality badge."""
