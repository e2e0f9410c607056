DROP INDEX events_purchases;
DROP INDEX events_user_time;
DROP TABLE events;
