DELETE FROM applied_log WHERE version = '0002';
DELETE FROM items;
