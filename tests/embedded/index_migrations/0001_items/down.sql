DROP TABLE items;
DROP TABLE applied_log;
