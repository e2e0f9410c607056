SELECT "unterminated identifier; SELECT 2;
