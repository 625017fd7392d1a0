"""Drawing and document layer of the reports: SVG charts and maps, PDF and XLSX writers.

Everything here is fed plain, typed data (dataclasses and sequences) and returns markup
or bytes; nothing reads the database, the clock or the network. The same SVG serves the
web application and, embedded as vector graphics, the PDF report.

* :mod:`tumbuh.reports.charts` trend line charts; :mod:`tumbuh.reports.bars` bar charts
  and histograms; :mod:`tumbuh.reports.growth_charts` KMS-style growth charts;
  :mod:`tumbuh.reports.choropleth` maps of kecamatan and kelurahan;
* :mod:`tumbuh.reports.pdf` the PDF builder; :mod:`tumbuh.reports.xlsx` the workbook
  writer; :mod:`tumbuh.reports.tables` the table model they share;
* :mod:`tumbuh.reports.svg` the escaping element builder underneath.
"""
