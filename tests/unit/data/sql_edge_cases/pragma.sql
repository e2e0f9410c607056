-- strata:no-transaction
-- strata:irreversible
-- strata:bogus
/* block */ PRAGMA foreign_keys = OFF;
PRAGMA main.foreign_keys(0);
pragma "foreign_keys"='off';
