-- DROP COLUMN needs SQLite 3.35 or later (Debian 12 has 3.40).
ALTER TABLE users DROP COLUMN theme;
