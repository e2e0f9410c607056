#include "strata/database_url.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <memory>

#include "strata/error.hpp"

namespace strata {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

namespace {

// user:password@ in the authority: the password ends at the last '@', since
// an unescaped '@' in a password is common in practice.
std::string redact_authority(std::string_view url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos)
        return std::string(url);
    auto authority_begin = scheme_end + 3;
    auto authority_end = url.find_first_of("/?#", authority_begin);
    if (authority_end == std::string_view::npos)
        authority_end = url.size();
    auto authority = url.substr(authority_begin, authority_end - authority_begin);
    auto at = authority.rfind('@');
    if (at == std::string_view::npos)
        return std::string(url);
    auto colon = authority.find(':');
    if (colon == std::string_view::npos || colon > at)
        return std::string(url);
    std::string out(url.substr(0, authority_begin + colon + 1));
    out += "***";
    out += url.substr(authority_begin + at);
    return out;
}

// password=... among the query parameters (libpq accepts it there too).
std::string redact_query(std::string url) {
    auto query = url.find('?');
    if (query == std::string::npos)
        return url;
    std::size_t pos = query + 1;
    while (pos < url.size()) {
        auto end = url.find_first_of("&#", pos);
        if (end == std::string::npos)
            end = url.size();
        auto eq = url.find('=', pos);
        if (eq != std::string::npos && eq < end) {
            std::string key = url.substr(pos, eq - pos);
            for (auto& c : key)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (key == "password" || key == "pass" || key == "pwd") {
                url.replace(eq + 1, end - eq - 1, "***");
                end = eq + 4;
            }
        }
        if (end >= url.size() || url[end] == '#')
            break;
        pos = end + 1;
    }
    return url;
}

// libpq parses the URL itself, so Strata accepts exactly what psql accepts
// (percent-encoding, several hosts, every query parameter).
std::map<std::string, std::string> postgres_parameters(std::string_view url) {
    char* message = nullptr;
    const std::string text(url);
    std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(
        PQconninfoParse(text.c_str(), &message), PQconninfoFree);
    if (!options) {
        std::string reason = message ? message : "out of memory";
        PQfreemem(message);
        while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' '))
            reason.pop_back();
        // libpq quotes the URL it could not parse, password included.
        for (auto at = reason.find(text); at != std::string::npos; at = reason.find(text))
            reason.replace(at, text.size(), redact_url(url));
        throw error(error_kind::usage, "invalid postgres url '" + redact_url(url) + "': " + reason);
    }
    std::map<std::string, std::string> parameters;
    for (const PQconninfoOption* o = options.get(); o->keyword; ++o)
        if (o->val)
            parameters[o->keyword] = o->val;
    // libpq would only find out when connecting, as a connection error.
    if (auto port = parameters.find("port"); port != parameters.end())
        if (port->second.find_first_not_of("0123456789,") != std::string::npos)
            throw error(error_kind::usage, "invalid postgres url '" + redact_url(url) +
                                               "': port '" + port->second + "' is not a number");
    return parameters;
}

std::string quote_conninfo_value(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\')
            out.push_back('\\');
        out.push_back(c);
    }
    return out + "'";
}

}  // namespace

std::string postgres_conninfo(const database_url& url,
                              const std::map<std::string, std::string>& overrides) {
    auto parameters = url.parameters;
    for (const auto& [key, value] : overrides)
        parameters[key] = value;
    std::string conninfo;
    for (const auto& [key, value] : parameters) {
        if (!conninfo.empty())
            conninfo.push_back(' ');
        conninfo += key + "=" + quote_conninfo_value(value);
    }
    return conninfo;
}

std::string redact_url(std::string_view url) {
    return redact_query(redact_authority(url));
}

database_url parse_database_url(std::string_view url) {
    database_url result;
    result.text = std::string(url);
    if (starts_with(url, "sqlite:")) {
        std::string_view rest = url.substr(7);
        if (starts_with(rest, "//"))
            rest.remove_prefix(2);
        auto query = rest.find('?');
        if (query != std::string_view::npos)
            rest = rest.substr(0, query);
        result.backend = backend_kind::sqlite;
        if (rest == ":memory:" || rest.empty()) {
            if (rest.empty())
                throw error(error_kind::usage, "sqlite url '" + std::string(url) +
                                                   "' names no file (use sqlite:path/to.db "
                                                   "or sqlite::memory:)");
            result.memory = true;
        } else {
            result.path = std::string(rest);
        }
        return result;
    }
    if (starts_with(url, "postgres://") || starts_with(url, "postgresql://")) {
        result.backend = backend_kind::postgres;
        result.parameters = postgres_parameters(url);
        return result;
    }
    throw error(error_kind::usage,
                "unsupported database url '" + redact_url(url) +
                    "' (expected sqlite:path, sqlite::memory: or postgres://...)");
}

}  // namespace strata
