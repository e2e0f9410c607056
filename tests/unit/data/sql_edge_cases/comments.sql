/* outer /* nested */ still a comment in PostgreSQL; */ SELECT 1;
-- line comment; with a semicolon
SELECT 2 /* trailing */ ; ; ;
/* unterminated comment SELECT 3;
