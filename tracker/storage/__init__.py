"""The journal file: sqlite3 connection, pragmas, migrations, repositories. No Qt."""
