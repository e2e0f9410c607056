#include "schema/json.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "strata/error.hpp"

namespace strata {

namespace {

using nlohmann::json;

// Where a value sits in the document: a chain of stack frames, turned into
// text (`tables[2].columns[0]`) only when there is an error to report.
struct path {
    const path* parent = nullptr;
    const char* key = nullptr;  // a member's name; null for an array element
    std::size_t index = 0;

    path member(const char* name) const { return {this, name, 0}; }
    path element(std::size_t i) const { return {this, nullptr, i}; }

    std::string text() const {
        if (!parent)
            return {};
        std::string out = parent->text();
        if (key)
            return out + (out.empty() ? "" : ".") + key;
        return out + "[" + std::to_string(index) + "]";
    }
};

[[noreturn]] void fail(const path& at, const std::string& what) {
    const std::string where = at.text();
    throw error(error_kind::usage,
                "schema json: " + (where.empty() ? std::string() : where + ": ") + what);
}

const char* type_word(const json& v) {
    switch (v.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        case json::value_t::string:
            return "a string";
        case json::value_t::boolean:
            return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float:
            return "a number";
        default:
            return "an unexpected value";
    }
}

[[noreturn]] void wrong_type(const path& at, const char* key, const char* expected, const json& v) {
    fail(at, fmt::format("key \"{}\" must be {}, not {}", key, expected, type_word(v)));
}

// The members of one JSON object, with the path for messages.
class object_reader {
  public:
    object_reader(const json& j, const path& at) : j_(j), at_(at) {
        if (!j.is_object())
            fail(at, fmt::format("expected an object, not {}", type_word(j)));
    }

    const path& at() const { return at_; }

    // A key that must be present.
    const json& required(const char* key) const {
        auto it = j_.find(key);
        if (it == j_.end())
            fail(at_, fmt::format("missing key \"{}\"", key));
        return *it;
    }
    // A key that may be absent; null when absent or null.
    const json* optional(const char* key) const {
        auto it = j_.find(key);
        return it == j_.end() || it->is_null() ? nullptr : &*it;
    }
    bool has(const char* key) const { return j_.find(key) != j_.end(); }

    std::string string(const char* key) const { return as_string(key, required(key)); }
    std::string optional_string(const char* key) const {
        const json* v = optional(key);
        return v ? as_string(key, *v) : std::string();
    }
    bool boolean(const char* key) const { return as_bool(key, required(key)); }
    bool optional_boolean(const char* key) const {
        const json* v = optional(key);
        return v && as_bool(key, *v);
    }
    int integer(const char* key) const {
        const json& v = required(key);
        if (v.is_number_unsigned() && v.get<std::uint64_t>() <= std::numeric_limits<int>::max())
            return static_cast<int>(v.get<std::uint64_t>());
        if (v.is_number_integer() && v.get<std::int64_t>() >= std::numeric_limits<int>::min() &&
            v.get<std::int64_t>() <= std::numeric_limits<int>::max())
            return static_cast<int>(v.get<std::int64_t>());
        wrong_type(at_, key, "an integer", v);
    }
    const json& array(const char* key) const {
        const json& v = required(key);
        if (!v.is_array())
            wrong_type(at_, key, "an array", v);
        return v;
    }
    const json* optional_array(const char* key) const {
        const json* v = optional(key);
        if (v && !v->is_array())
            wrong_type(at_, key, "an array", *v);
        return v;
    }
    std::vector<std::string> strings(const char* key) const { return as_strings(key, array(key)); }
    std::vector<std::string> optional_strings(const char* key) const {
        const json* v = optional_array(key);
        return v ? as_strings(key, *v) : std::vector<std::string>();
    }

  private:
    std::string as_string(const char* key, const json& v) const {
        if (!v.is_string())
            wrong_type(at_, key, "a string", v);
        return v.get_ref<const std::string&>();
    }
    bool as_bool(const char* key, const json& v) const {
        if (!v.is_boolean())
            wrong_type(at_, key, "a boolean", v);
        return v.get<bool>();
    }
    std::vector<std::string> as_strings(const char* key, const json& v) const {
        std::vector<std::string> out;
        out.reserve(v.size());
        const path member = at_.member(key);
        for (std::size_t i = 0; i < v.size(); ++i) {
            const json& item = v[i];
            if (!item.is_string())
                fail(member.element(i), fmt::format("expected a string, not {}", type_word(item)));
            out.push_back(item.get_ref<const std::string&>());
        }
        return out;
    }

    const json& j_;
    path at_;  // a copy: callers pass temporaries; its parent outlives this reader
};

// Each element of `items`, read by `read(element, path)`.
template <typename T, typename Read>
std::vector<T> read_array(const json& items, const path& at, Read read) {
    std::vector<T> out;
    out.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
        out.push_back(read(items[i], at.element(i)));
    return out;
}

template <typename T, typename Read>
std::vector<T> read_array(const object_reader& r, const char* key, Read read) {
    return read_array<T>(r.array(key), r.at().member(key), read);
}

template <typename T, typename Read>
std::vector<T> read_optional_array(const object_reader& r, const char* key, Read read) {
    const json* items = r.optional_array(key);
    return items ? read_array<T>(*items, r.at().member(key), read) : std::vector<T>();
}

index_column read_key(const json& j, const path& at) {
    const object_reader r(j, at);
    index_column k;
    k.expression = r.string("expression");
    k.descending = r.boolean("descending");
    k.collation = r.optional_string("collation");
    return k;
}

column read_column(const json& j, const path& at) {
    const object_reader r(j, at);
    column c;
    c.name = r.string("name");
    c.type = r.string("type");
    c.not_null = r.boolean("not_null");
    if (const json* d = r.optional("default")) {
        if (!d->is_string())
            wrong_type(at, "default", "a string", *d);
        c.default_sql = d->get_ref<const std::string&>();
    }
    c.collation = r.optional_string("collation");
    c.primary_key = r.integer("primary_key");
    if (c.primary_key < 0)
        fail(at, "key \"primary_key\" must not be negative");
    c.descending_key = r.boolean("descending_key");
    c.autoincrement = r.boolean("autoincrement");
    c.hidden = r.boolean("hidden");
    if (const json* g = r.optional("generated")) {
        const object_reader gr(*g, at.member("generated"));
        const std::string kind = gr.string("kind");
        if (kind == "stored")
            c.generated = generated_kind::stored_column;
        else if (kind == "virtual")
            c.generated = generated_kind::virtual_column;
        else
            fail(gr.at(), "key \"kind\" must be \"stored\" or \"virtual\"");
        c.generated_sql = gr.string("expression");
    }
    c.identity = r.optional_string("identity");
    return c;
}

foreign_key read_foreign_key(const json& j, const path& at) {
    const object_reader r(j, at);
    foreign_key fk;
    fk.name = r.optional_string("name");
    fk.columns = r.strings("columns");
    fk.table = r.string("table");
    fk.referenced = r.strings("referenced");
    fk.on_delete = r.string("on_delete");
    fk.on_update = r.string("on_update");
    fk.deferred = r.boolean("deferred");
    fk.definition = r.optional_string("definition");
    return fk;
}

check_constraint read_check(const json& j, const path& at) {
    const object_reader r(j, at);
    check_constraint c;
    c.name = r.optional_string("name");
    c.expression = r.string("expression");
    return c;
}

check_constraint read_exclusion(const json& j, const path& at) {
    const object_reader r(j, at);
    check_constraint c;
    c.name = r.string("name");
    c.expression = r.string("definition");
    return c;
}

unique_constraint read_unique(const json& j, const path& at) {
    const object_reader r(j, at);
    unique_constraint u;
    u.name = r.optional_string("name");
    u.keys = read_array<index_column>(r, "columns", read_key);
    u.on_conflict = r.optional_string("on_conflict");
    u.definition = r.optional_string("definition");
    return u;
}

table read_table(const json& j, const path& at) {
    const object_reader r(j, at);
    table t;
    t.name = r.string("name");
    t.columns = read_array<column>(r, "columns", read_column);
    t.uniques = read_array<unique_constraint>(r, "uniques", read_unique);
    t.checks = read_array<check_constraint>(r, "checks", read_check);
    t.foreign_keys = read_array<foreign_key>(r, "foreign_keys", read_foreign_key);
    t.without_rowid = r.boolean("without_rowid");
    t.strict = r.boolean("strict");
    t.virtual_using = r.optional_string("virtual");
    t.primary_key_name = r.optional_string("primary_key_name");
    t.primary_key_definition = r.optional_string("primary_key_definition");
    t.exclusions = read_optional_array<check_constraint>(r, "exclusions", read_exclusion);
    return t;
}

index read_index(const json& j, const path& at) {
    const object_reader r(j, at);
    index ix;
    ix.name = r.string("name");
    ix.table = r.string("table");
    ix.unique = r.boolean("unique");
    ix.columns = read_array<index_column>(r, "columns", read_key);
    ix.where = r.optional_string("where");
    ix.method = r.optional_string("method");
    ix.include = r.optional_strings("include");
    ix.options = r.optional_string("options");
    return ix;
}

view read_view(const json& j, const path& at) {
    const object_reader r(j, at);
    view v;
    v.name = r.string("name");
    v.sql = r.string("sql");
    v.materialized = r.optional_boolean("materialized");
    return v;
}

trigger read_trigger(const json& j, const path& at) {
    const object_reader r(j, at);
    trigger tr;
    tr.name = r.string("name");
    tr.table = r.string("table");
    tr.sql = r.string("sql");
    return tr;
}

extension read_extension(const json& j, const path& at) {
    if (!j.is_string())
        fail(at, fmt::format("expected a string, not {}", type_word(j)));
    return extension{j.get_ref<const std::string&>()};
}

user_type read_type(const json& j, const path& at) {
    const object_reader r(j, at);
    user_type t;
    t.name = r.string("name");
    t.kind = r.string("kind");
    t.sql = r.string("sql");
    t.labels = r.optional_strings("labels");
    return t;
}

sequence read_sequence(const json& j, const path& at) {
    const object_reader r(j, at);
    sequence q;
    q.name = r.string("name");
    q.sql = r.string("sql");
    q.owned_by = r.optional_string("owned_by");
    return q;
}

routine read_routine(const json& j, const path& at) {
    const object_reader r(j, at);
    routine rt;
    rt.signature = r.string("signature");
    rt.kind = r.string("kind");
    rt.sql = r.string("sql");
    return rt;
}

}  // namespace

schema schema_from_json(const nlohmann::json& j) {
    const path root;
    const object_reader r(j, root);
    schema s;
    const std::string backend = r.string("backend");
    if (const auto named = backend_named(backend))
        s.backend = *named;
    else
        fail(root.member("backend"),
             fmt::format("unknown backend '{}' (sqlite or postgres)", backend));
    s.tables = read_array<table>(r, "tables", read_table);
    s.indexes = read_array<index>(r, "indexes", read_index);
    s.views = read_array<view>(r, "views", read_view);
    s.triggers = read_array<trigger>(r, "triggers", read_trigger);
    // to_json writes PostgreSQL's arrays for every PostgreSQL schema, and for
    // another only when it has such objects.
    if (s.backend == backend_kind::postgres) {
        s.extensions = read_array<extension>(r, "extensions", read_extension);
        s.types = read_array<user_type>(r, "types", read_type);
        s.sequences = read_array<sequence>(r, "sequences", read_sequence);
        s.routines = read_array<routine>(r, "routines", read_routine);
    } else {
        s.extensions = read_optional_array<extension>(r, "extensions", read_extension);
        s.types = read_optional_array<user_type>(r, "types", read_type);
        s.sequences = read_optional_array<sequence>(r, "sequences", read_sequence);
        s.routines = read_optional_array<routine>(r, "routines", read_routine);
    }
    return s;
}

schema parse_schema_json(std::string_view text) {
    json j;
    try {
        j = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        throw error(error_kind::usage,
                    fmt::format("schema json: not valid json (at byte {})", e.byte));
    }
    return schema_from_json(j);
}

}  // namespace strata
