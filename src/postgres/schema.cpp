#include "postgres/internal/schema.hpp"

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

#include "postgres/internal/schema_catalog.hpp"
#include "sql/text.hpp"
#include "strata/error.hpp"

namespace strata {

namespace detail {

std::string not_in_extension(std::string_view catalog, std::string_view oid_column) {
    return " AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = '" + std::string(catalog) +
           "'::regclass AND e.objid = " + std::string(oid_column) + " AND e.deptype = 'e')";
}

std::vector<std::string> json_names(const char* json_text) {
    std::vector<std::string> out;
    if (!json_text || !*json_text)
        return out;
    for (const auto& n : nlohmann::json::parse(json_text))
        out.push_back(n.get<std::string>());
    return out;
}

std::string strip_schema_prefix(std::string text, std::string_view prefix,
                                std::string_view schema_name) {
    if (text.compare(0, prefix.size(), prefix) != 0)
        return text;
    std::string quoted = "\"";
    for (char c : schema_name)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    quoted += "\"";
    for (const std::string& spelling : {std::string(schema_name), quoted}) {
        const std::string qualifier = spelling + ".";
        if (text.compare(prefix.size(), qualifier.size(), qualifier) == 0)
            return text.erase(prefix.size(), qualifier.size());
    }
    return text;
}

}  // namespace detail

namespace {

// The catalog functions (format_type, pg_get_indexdef, pg_get_viewdef,
// pg_get_expr) qualify names that are not visible on the search path. With
// the path set to the schema being read, its own names come out bare and
// those of other schemas qualified, whatever the caller's path was. A session
// setting, not a local one: on a nontransaction each statement commits.
class search_path_guard {
  public:
    search_path_guard(pqxx::transaction_base& tx, const std::string& schema_name) : tx_(tx) {
        previous_ = tx.exec("SELECT current_setting('search_path')")[0][0].c_str();
        tx.exec_params("SELECT set_config('search_path', quote_ident($1), false)", schema_name);
    }
    ~search_path_guard() {
        try {
            tx_.exec_params("SELECT set_config('search_path', $1, false)", previous_);
        } catch (...) {
            // An aborted transaction rolls the setting back itself.
        }
    }
    search_path_guard(const search_path_guard&) = delete;
    search_path_guard& operator=(const search_path_guard&) = delete;

  private:
    pqxx::transaction_base& tx_;
    std::string previous_;
};

template <typename T>
void sort_named(std::vector<T>& items) {
    std::sort(items.begin(), items.end(),
              [](const T& a, const T& b) { return name_less(a.name, b.name); });
}

}  // namespace

schema read_postgres_schema(pqxx::transaction_base& tx, const std::string& schema_name,
                            const std::string& tracking_table) {
    const pqxx::result ns =
        tx.exec_params("SELECT oid::text FROM pg_namespace WHERE nspname = $1", schema_name);
    if (ns.empty())
        throw error(error_kind::usage, "postgres schema " + schema_name + " does not exist");
    const detail::postgres_scope scope{ns[0][0].c_str(), schema_name, tracking_table};
    const search_path_guard path(tx, schema_name);

    schema s;
    s.backend = backend_kind::postgres;
    detail::read_postgres_extensions(tx, scope, s);
    detail::read_postgres_types(tx, scope, s);
    detail::read_postgres_sequences(tx, scope, s);
    detail::read_postgres_tables(tx, scope, s);
    detail::read_postgres_indexes(tx, scope, s);
    detail::read_postgres_views(tx, scope, s);
    detail::read_postgres_routines(tx, scope, s);
    detail::read_postgres_triggers(tx, scope, s);

    sort_named(s.extensions);
    sort_named(s.types);
    sort_named(s.sequences);
    sort_named(s.tables);
    sort_named(s.indexes);
    sort_named(s.views);
    // Trigger names are per table: diesel gives every table a `set_updated_at`.
    std::sort(s.triggers.begin(), s.triggers.end(), [](const trigger& a, const trigger& b) {
        if (a.name != b.name)
            return name_less(a.name, b.name);
        return name_less(a.table, b.table);
    });
    std::sort(s.routines.begin(), s.routines.end(), [](const routine& a, const routine& b) {
        return name_less(a.signature, b.signature);
    });
    return s;
}

}  // namespace strata
