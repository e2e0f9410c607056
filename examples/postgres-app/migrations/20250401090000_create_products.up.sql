CREATE TYPE product_state AS ENUM ('draft', 'on_sale', 'retired');

CREATE TABLE products (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        varchar(80) NOT NULL UNIQUE,
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    state       product_state NOT NULL DEFAULT 'draft',
    tags        text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);
