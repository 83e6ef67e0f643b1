"""Qt's view of the journal: table models and the change signal pages listen to."""
