// The PostgreSQL backend, over libpqxx.
#pragma once
