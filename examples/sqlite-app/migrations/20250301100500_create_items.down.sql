DROP INDEX items_open;
DROP TABLE items;
