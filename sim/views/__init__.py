"""What any front end shows, framework-free: the message catalog, the number formatter, KPIs and the
scorecard, the chart theme. The app (``ui/``) and the meeting pack (``sim/report``) both read from here."""
