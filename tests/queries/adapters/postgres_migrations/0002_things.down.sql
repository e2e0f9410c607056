DROP TABLE things;
DROP TYPE mood;
