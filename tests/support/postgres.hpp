// The PostgreSQL server of a test run, and a database of its own per test.
#pragma once

#include <string>

namespace strata::test {

// The server's URL: STRATA_TEST_POSTGRES_URL, else the one the CTest fixture
// `postgres_server` wrote (tests/postgres/server). Throws when there is none:
// a PostgreSQL test fails rather than skips.
std::string postgres_server_url();

// `url` with its database replaced by `database`.
std::string with_database(const std::string& url, const std::string& database);

// A freshly created, uniquely named database on the test server, dropped
// (with its connections) on destruction.
class postgres_test_database {
  public:
    explicit postgres_test_database(const std::string& prefix = "strata_test");
    ~postgres_test_database();
    postgres_test_database(const postgres_test_database&) = delete;
    postgres_test_database& operator=(const postgres_test_database&) = delete;

    const std::string& name() const { return name_; }
    const std::string& url() const { return url_; }

    // Runs `sql` (any number of statements) on this database.
    void exec(const std::string& sql) const;
    // The first column of the first row of `sql`, as text ("" for NULL).
    std::string query_value(const std::string& sql) const;

  private:
    std::string name_;
    std::string url_;
};

}  // namespace strata::test
