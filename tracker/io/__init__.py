"""Import and export: JSON, CSV, FHIR and the PDF report. No widgets here."""
