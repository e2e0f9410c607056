// The objects of a PostgreSQL schema besides tables and indexes: views,
// triggers, routines, user types, sequences and extensions.
#include <pqxx/pqxx>
#include "postgres/internal/schema_catalog.hpp"
#include "schema/dump.hpp"

namespace strata::detail {

namespace {

std::string text_of(const pqxx::field& f) {
    return f.is_null() ? std::string() : std::string(f.c_str());
}

std::string literal(const std::string& text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::string trimmed_end(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == ';'))
        text.pop_back();
    return text;
}

// reloptions of a view: check_option becomes its own clause, the rest WITH (...).
std::string view_sql(const std::string& name, bool materialized, const std::string& definition,
                     const std::vector<std::string>& options) {
    std::vector<std::string> with;
    std::string check;
    for (const auto& o : options) {
        if (o.rfind("check_option=", 0) == 0)
            check = o.substr(13) == "cascaded" ? " WITH CASCADED CHECK OPTION"
                                               : " WITH LOCAL CHECK OPTION";
        else
            with.push_back(o);
    }
    return std::string(materialized ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ") +
           quote_postgres_name(name) + (with.empty() ? "" : " WITH (" + joined(with) + ")") +
           " AS" + trimmed_end(definition) + check;
}

}  // namespace

void read_postgres_views(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s) {
    const pqxx::result rows = tx.exec_params(
        "SELECT c.relname, c.relkind, pg_get_viewdef(c.oid, true), "
        "array_to_json(coalesce(c.reloptions, '{}'))::text FROM pg_class c "
        "WHERE c.relnamespace = $1::oid AND c.relkind IN ('v', 'm')" +
            not_in_extension("pg_class", "c.oid"),
        scope.namespace_oid);
    for (const auto& row : rows) {
        view v;
        v.name = row[0].c_str();
        v.materialized = row[1].c_str()[0] == 'm';
        v.sql = view_sql(v.name, v.materialized, row[2].c_str(), json_names(row[3].c_str()));
        s.views.push_back(std::move(v));
    }
}

void read_postgres_triggers(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s) {
    // Internal triggers implement foreign keys; they belong to the constraint.
    const pqxx::result rows = tx.exec_params(
        "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid, true) FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relnamespace = $1::oid AND NOT t.tgisinternal AND c.relname <> $2" +
            not_in_extension("pg_class", "c.oid") + not_in_extension("pg_trigger", "t.oid"),
        scope.namespace_oid, scope.tracking_table);
    for (const auto& row : rows)
        s.triggers.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str()});
}

void read_postgres_routines(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s) {
    // Aggregates and window functions have no CREATE FUNCTION to show; the
    // constructors of a range type (an internal dependency) come with it.
    const pqxx::result rows = tx.exec_params(
        "SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prokind, "
        "pg_get_functiondef(p.oid) FROM pg_proc p "
        "WHERE p.pronamespace = $1::oid AND p.prokind IN ('f', 'p') "
        "AND NOT EXISTS (SELECT FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass "
        "AND i.objid = p.oid AND i.deptype = 'i')" +
            not_in_extension("pg_proc", "p.oid"),
        scope.namespace_oid);
    for (const auto& row : rows) {
        routine r;
        r.signature = quote_postgres_name(row[0].c_str()) + "(" + row[1].c_str() + ")";
        r.kind = row[2].c_str()[0] == 'p' ? "procedure" : "function";
        // pg_get_functiondef qualifies the routine's name whatever the search path.
        const std::string create =
            r.kind == "procedure" ? "CREATE OR REPLACE PROCEDURE " : "CREATE OR REPLACE FUNCTION ";
        r.sql = trimmed_end(strip_schema_prefix(row[3].c_str(), create, scope.schema_name));
        s.routines.push_back(std::move(r));
    }
}

namespace {

// Table row types and array types come with their table or element type;
// multirange types with their range.
const std::string types_query = R"(
SELECT t.typname, t.typtype,
       array_to_json(ARRAY(SELECT enumlabel FROM pg_enum WHERE enumtypid = t.oid
                           ORDER BY enumsortorder))::text,
       format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
       CASE WHEN t.typtype = 'd' AND t.typcollation <> b.typcollation
            THEN quote_ident(co.collname) END,
       array_to_json(ARRAY(SELECT 'CONSTRAINT ' || quote_ident(k.conname) || ' ' ||
                                  pg_get_constraintdef(k.oid)
                           FROM pg_constraint k WHERE k.contypid = t.oid
                           ORDER BY k.conname))::text,
       array_to_json(ARRAY(SELECT quote_ident(a.attname) || ' ' ||
                                  format_type(a.atttypid, a.atttypmod) ||
                                  CASE WHEN a.attcollation <> at.typcollation
                                       THEN ' COLLATE ' || quote_ident(ac.collname) ELSE '' END
                           FROM pg_attribute a
                           JOIN pg_type at ON at.oid = a.atttypid
                           LEFT JOIN pg_collation ac ON ac.oid = a.attcollation
                           WHERE a.attrelid = t.typrelid AND a.attnum > 0
                             AND NOT a.attisdropped
                           ORDER BY a.attnum))::text,
       format_type(rg.rngsubtype, NULL),
       CASE WHEN rg.rngsubdiff <> 0 THEN rg.rngsubdiff::regproc::text END,
       CASE WHEN rg.rngcanonical <> 0 THEN rg.rngcanonical::regproc::text END
FROM pg_type t
LEFT JOIN pg_class r ON r.oid = t.typrelid
LEFT JOIN pg_type b ON b.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_range rg ON rg.rngtypid = t.oid
WHERE t.typnamespace = $1::oid
  AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND r.relkind = 'c')))";

std::string type_sql(const pqxx::row& row, user_type& t) {
    const std::string name = quote_postgres_name(t.name);
    if (t.kind == "enum") {
        std::vector<std::string> labels;
        for (const auto& l : t.labels)
            labels.push_back(literal(l));
        return "CREATE TYPE " + name + " AS ENUM (" + joined(labels) + ")";
    }
    if (t.kind == "composite")
        return "CREATE TYPE " + name + " AS (" + joined(json_names(row[8].c_str())) + ")";
    if (t.kind == "range") {
        std::string out = "CREATE TYPE " + name + " AS RANGE (subtype = " + text_of(row[9]);
        if (!row[10].is_null())
            out += ", subtype_diff = " + text_of(row[10]);
        if (!row[11].is_null())
            out += ", canonical = " + text_of(row[11]);
        return out + ")";
    }
    std::string out = "CREATE DOMAIN " + name + " AS " + text_of(row[3]);
    if (!row[6].is_null())
        out += " COLLATE " + text_of(row[6]);
    if (!row[5].is_null())
        out += " DEFAULT " + text_of(row[5]);
    if (row[4].as<bool>())
        out += " NOT NULL";
    for (const auto& constraint : json_names(row[7].c_str()))
        out += " " + constraint;
    return out;
}

}  // namespace

void read_postgres_types(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s) {
    const pqxx::result rows =
        tx.exec_params(types_query + not_in_extension("pg_type", "t.oid"), scope.namespace_oid);
    for (const auto& row : rows) {
        user_type t;
        t.name = row[0].c_str();
        switch (row[1].c_str()[0]) {
            case 'e':
                t.kind = "enum";
                t.labels = json_names(row[2].c_str());
                break;
            case 'd':
                t.kind = "domain";
                break;
            case 'r':
                t.kind = "range";
                break;
            default:
                t.kind = "composite";
        }
        t.sql = type_sql(row, t);
        s.types.push_back(std::move(t));
    }
}

namespace {

// Identity sequences (deptype 'i') belong to their column; a serial's or an
// OWNED BY sequence has an automatic dependency ('a') on its column.
const std::string sequences_query = R"(
SELECT c.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin,
       q.seqmax, q.seqcache, q.seqcycle,
       CASE WHEN o.relnamespace = $1::oid THEN '' ELSE quote_ident(n.nspname) || '.' END ||
           quote_ident(o.relname) || '.' || quote_ident(a.attname)
FROM pg_class c
JOIN pg_sequence q ON q.seqrelid = c.oid
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
     AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjsubid > 0
LEFT JOIN pg_class o ON o.oid = d.refobjid
LEFT JOIN pg_namespace n ON n.oid = o.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE c.relnamespace = $1::oid AND c.relkind = 'S'
  AND NOT coalesce(o.relnamespace = $1::oid AND o.relname = $2, false)
  AND NOT EXISTS (SELECT FROM pg_depend i WHERE i.classid = 'pg_class'::regclass
                  AND i.objid = c.oid AND i.deptype = 'i'))";

}  // namespace

void read_postgres_sequences(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s) {
    const pqxx::result rows =
        tx.exec_params(sequences_query + not_in_extension("pg_class", "c.oid"), scope.namespace_oid,
                       scope.tracking_table);
    for (const auto& row : rows) {
        sequence q;
        q.name = row[0].c_str();
        q.sql = "CREATE SEQUENCE " + quote_postgres_name(q.name) + " AS " + row[1].c_str() +
                " START WITH " + row[2].c_str() + " INCREMENT BY " + row[3].c_str() + " MINVALUE " +
                row[4].c_str() + " MAXVALUE " + row[5].c_str() + " CACHE " + row[6].c_str() +
                (row[7].as<bool>() ? " CYCLE" : "");
        q.owned_by = text_of(row[8]);
        s.sequences.push_back(std::move(q));
    }
}

void read_postgres_extensions(pqxx::transaction_base& tx, const postgres_scope& scope, schema& s) {
    const pqxx::result rows = tx.exec_params(
        "SELECT extname FROM pg_extension WHERE extnamespace = $1::oid", scope.namespace_oid);
    for (const auto& row : rows)
        s.extensions.push_back({row[0].c_str()});
}

}  // namespace strata::detail
