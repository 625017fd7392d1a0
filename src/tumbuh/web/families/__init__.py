"""The TPK's families at risk of stunting (KRS) and their visits: pages and API."""
