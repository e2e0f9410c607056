DELETE FROM applied_log WHERE version = '0005';
DROP TABLE after_indexes;
