#include "test_database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include <pqxx/pqxx>

#include "postgres.hpp"

namespace strata::test {

namespace {

// `text` as an SQL string literal; both backends read '' as a quote.
std::string literal(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out.push_back('\'');
        out.push_back(c);
    }
    return out + "'";
}

void write_rows(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
    for (const auto& row : rows) {
        for (const auto& value : row)
            out << value << "|";
        out << "\n";
    }
}

class sqlite_test_database final : public test_database {
  public:
    sqlite_test_database(std::filesystem::path path, std::string file_name)
        : path_(std::move(path)), file_name_(std::move(file_name)) {}

    backend kind() const override { return backend::sqlite; }
    std::string url() const override { return "sqlite:" + file_name_; }
    bool exists() const override { return std::filesystem::exists(path_); }

    std::vector<std::vector<std::string>> query(const std::string& sql) const override {
        SQLite::Database d(path_.string(), SQLite::OPEN_READONLY);
        SQLite::Statement q(d, sql);
        std::vector<std::vector<std::string>> rows;
        while (q.executeStep()) {
            std::vector<std::string> row;
            for (int i = 0; i < q.getColumnCount(); ++i)
                row.push_back(q.getColumn(i).isNull() ? "NULL" : q.getColumn(i).getString());
            rows.push_back(std::move(row));
        }
        return rows;
    }

    void exec(const std::string& sql) const override {
        SQLite::Database d(path_.string(), SQLite::OPEN_READWRITE);
        d.exec(sql);
    }

    std::vector<std::string> tables() const override {
        return column(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND "
            "name <> '_strata_migrations' ORDER BY name");
    }

    std::vector<std::string> columns(const std::string& table) const override {
        return column("SELECT name FROM pragma_table_info(" + literal(table) + ") ORDER BY cid");
    }

    bool has_index(const std::string& name) const override {
        return column("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = " +
                      literal(name)) == std::vector<std::string>{"1"};
    }

    // Values carry their storage class, so that a changed type shows too.
    std::string dump() const override {
        SQLite::Database d(path_.string(), SQLite::OPEN_READONLY);
        std::ostringstream out;
        std::vector<std::string> tables;
        SQLite::Statement schema(d,
                                 "SELECT type,name,tbl_name,sql FROM sqlite_schema ORDER BY 1,2");
        while (schema.executeStep()) {
            for (int i = 0; i < 4; ++i)
                out << value(schema.getColumn(i)) << "|";
            out << "\n";
            if (schema.getColumn(0).getString() == "table")
                tables.push_back(schema.getColumn(1).getString());
        }
        for (const auto& table : tables) {
            out << "== " << table << "\n";
            SQLite::Statement rows(d, "SELECT * FROM \"" + table + "\" ORDER BY 1");
            while (rows.executeStep()) {
                for (int i = 0; i < rows.getColumnCount(); ++i)
                    out << rows.getColumnName(i) << "=" << value(rows.getColumn(i)) << "|";
                out << "\n";
            }
        }
        return out.str();
    }

  private:
    static std::string value(const SQLite::Column& c) {
        if (c.isNull())
            return "NULL";
        if (c.isInteger())
            return "i:" + c.getString();
        if (c.isFloat())
            return "f:" + c.getString();
        if (c.isBlob())
            return "b:" + c.getString();
        return "t:'" + c.getString() + "'";
    }

    std::filesystem::path path_;
    std::string file_name_;
};

// Everything is read from schema `public`, where strata works by default.
class postgres_database final : public test_database {
  public:
    backend kind() const override { return backend::postgres; }
    std::string url() const override { return db_.url(); }

    bool exists() const override {
        return column(
                   "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace") !=
               std::vector<std::string>{"0"};
    }

    std::vector<std::vector<std::string>> query(const std::string& sql) const override {
        if (!connection_)
            connection_ = std::make_unique<pqxx::connection>(db_.url());
        pqxx::nontransaction tx(*connection_);
        std::vector<std::vector<std::string>> rows;
        for (const auto& r : tx.exec(sql)) {
            std::vector<std::string> row;
            for (const auto& field : r)
                row.push_back(field.is_null() ? "NULL" : field.c_str());
            rows.push_back(std::move(row));
        }
        return rows;
    }

    void exec(const std::string& sql) const override { query(sql); }

    std::vector<std::string> tables() const override {
        return column(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind "
            "IN ('r', 'p') AND relname <> '_strata_migrations' ORDER BY relname");
    }

    std::vector<std::string> columns(const std::string& table) const override {
        return column(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND "
            "table_name = " +
            literal(table) + " ORDER BY ordinal_position");
    }

    bool has_index(const std::string& name) const override {
        return column(
                   "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname = " +
                   literal(name)) == std::vector<std::string>{"1"};
    }

    // The catalog's view of every object in `public` (definitions as the
    // server prints them back), then every table's rows as row literals.
    // Names sort bytewise: type `name` has collation "C".
    std::string dump() const override {
        static const char* const catalog[] = {
            "SELECT relname, relkind FROM pg_class WHERE relnamespace = 'public'::regnamespace "
            "ORDER BY 1",
            "SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), "
            "a.attnotnull, a.attidentity, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = "
            "a.attrelid AND d.adnum = a.attnum WHERE c.relnamespace = 'public'::regnamespace AND "
            "a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, 2",
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM "
            "pg_constraint "
            "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
            "SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class "
            "c ON c.oid = t.tgrelid WHERE c.relnamespace = 'public'::regnamespace AND NOT "
            "t.tgisinternal ORDER BY 1, 2",
            "SELECT proname, pg_get_function_identity_arguments(oid), prosrc FROM pg_proc WHERE "
            "pronamespace = 'public'::regnamespace ORDER BY 1, 2",
            "SELECT typname, typtype FROM pg_type WHERE typnamespace = 'public'::regnamespace "
            "ORDER BY 1",
        };
        std::ostringstream out;
        for (const char* sql : catalog)
            write_rows(out, query(sql));
        const auto all_tables = column(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind "
            "IN ('r', 'p') ORDER BY 1");
        for (const auto& table : all_tables) {
            out << "== " << table << "\n";
            write_rows(out, query("SELECT t::text FROM public.\"" + table + "\" t ORDER BY 1"));
        }
        return out.str();
    }

  private:
    postgres_test_database db_{"strata_e2e"};
    // One connection for all reads: the concurrency test reads a lot. It holds
    // no lock between statements, so strata never waits for it.
    mutable std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace

std::string to_string(backend b) {
    return b == backend::sqlite ? "sqlite" : "postgres";
}

bool test_database::has_table(const std::string& name) const {
    const auto all = tables();
    return std::find(all.begin(), all.end(), name) != all.end();
}

std::vector<std::string> test_database::column(const std::string& sql) const {
    std::vector<std::string> values;
    for (const auto& row : query(sql))
        values.push_back(row.at(0));
    return values;
}

std::vector<tracked_row> test_database::tracking() const {
    std::vector<tracked_row> rows;
    for (const auto& row : query("SELECT version, name, checksum, applied_at FROM "
                                 "_strata_migrations ORDER BY version"))
        rows.push_back({row.at(0), row.at(1), row.at(2), row.at(3)});
    // Bytewise, as SQLite orders them, whatever the PostgreSQL database's collation.
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.version < b.version; });
    return rows;
}

std::vector<std::string> test_database::tracked_versions() const {
    std::vector<std::string> versions;
    for (const auto& row : tracking())
        versions.push_back(row.version);
    return versions;
}

std::unique_ptr<test_database> make_test_database(backend b, const std::filesystem::path& dir,
                                                  const std::string& file_name) {
    if (b == backend::sqlite)
        return std::make_unique<sqlite_test_database>(dir / file_name, file_name);
    return std::make_unique<postgres_database>();
}

}  // namespace strata::test
