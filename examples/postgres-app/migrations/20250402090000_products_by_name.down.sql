DROP INDEX CONCURRENTLY products_lower_name;
