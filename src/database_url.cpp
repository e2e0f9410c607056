#include "strata/database_url.hpp"

#include <cctype>

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

}  // namespace

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
        return result;
    }
    throw error(error_kind::usage,
                "unsupported database url '" + redact_url(url) +
                    "' (expected sqlite:path, sqlite::memory: or postgres://...)");
}

}  // namespace strata
