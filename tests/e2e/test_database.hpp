// The database an end-to-end test runs strata against, on either backend,
// read directly rather than through strata: the tests check what strata did
// to the database, not what it says it did.
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace strata::test {

enum class backend { sqlite, postgres };

inline const std::vector<backend> all_backends = {backend::sqlite, backend::postgres};

// "sqlite" / "postgres", as the suffix of the parameterized tests' names.
std::string to_string(backend b);

// So that GoogleTest names the backend in its messages instead of printing bytes.
inline void PrintTo(backend b, std::ostream* out) {
    *out << to_string(b);
}

struct tracked_row {
    std::string version, name, checksum, applied_at;
};

class test_database {
  public:
    virtual ~test_database() = default;

    virtual backend kind() const = 0;
    // What `--url` takes. A SQLite URL is relative to the test's scratch
    // directory, where strata runs.
    virtual std::string url() const = 0;

    // Whether strata has created anything: for SQLite the file, for
    // PostgreSQL (whose database the test creates) any relation in `public`.
    virtual bool exists() const = 0;
    // Every row of `sql`, each value as text; NULL as "NULL".
    virtual std::vector<std::vector<std::string>> query(const std::string& sql) const = 0;
    virtual void exec(const std::string& sql) const = 0;

    // The user's tables (the tracking table left out), sorted bytewise.
    virtual std::vector<std::string> tables() const = 0;
    // The columns of `table`, in order.
    virtual std::vector<std::string> columns(const std::string& table) const = 0;
    virtual bool has_index(const std::string& name) const = 0;
    // The schema and every row of every table, the tracking table's included,
    // for "the database is exactly as it was" comparisons.
    virtual std::string dump() const = 0;

    bool has_table(const std::string& name) const;
    // The first value of each row of `sql`.
    std::vector<std::string> column(const std::string& sql) const;
    // `_strata_migrations`, by version.
    std::vector<tracked_row> tracking() const;
    std::vector<std::string> tracked_versions() const;

    // For what the backends legitimately say differently: their error
    // messages, and the line they blame (SQLite: where the failing statement
    // starts; PostgreSQL: the server's error position within it).
    template <class T>
    T per_backend(T sqlite, T postgres) const {
        return kind() == backend::sqlite ? std::move(sqlite) : std::move(postgres);
    }
    std::string per_backend(const char* sqlite, const char* postgres) const {
        return per_backend<std::string>(sqlite, postgres);
    }
};

// A new, empty database. SQLite: `file_name` in `dir`, not created yet (strata
// creates it). PostgreSQL: a database of its own on the test server, dropped
// on destruction; throws when there is no server, so the test fails.
std::unique_ptr<test_database> make_test_database(backend b, const std::filesystem::path& dir,
                                                  const std::string& file_name = "test.db");

}  // namespace strata::test
