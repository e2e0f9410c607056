#include "strata/postgres_database.hpp"
