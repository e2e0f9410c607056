SELECT [unterminated bracket; SELECT 2;
/* a */ -- b
