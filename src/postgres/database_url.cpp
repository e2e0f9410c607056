#include "strata/postgres/database_url.hpp"

#include <libpq-fe.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

#include "sql/text.hpp"
#include "strata/error.hpp"

namespace strata {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

namespace {

// Where the password of `user:password@` lies: from the first ':' after the
// scheme to the last '@' that is not inside a query parameter's value.
// Unescaped '@', '/', '?' and '#' all occur in real passwords; the password
// libpq itself finds is masked besides (see redact_url).
std::pair<std::size_t, std::size_t> password_span(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos)
        return {0, 0};
    const auto authority = scheme_end + 3;
    const auto query = url.find('?', authority);
    for (auto at = url.rfind('@'); at != std::string_view::npos && at >= authority;
         at = at == 0 ? std::string_view::npos : url.rfind('@', at - 1)) {
        // libpq reads an '@' before any '/' as the end of the credentials,
        // even after a '?' (`app:p?a=ss@host`).
        const bool in_query =
            query < at && url.find('=', query) < at && url.find('/', authority) < query;
        if (in_query)
            continue;
        const auto colon = url.find(':', authority);
        if (colon == std::string_view::npos || colon > at)
            return {0, 0};
        return {colon + 1, at};
    }
    return {0, 0};
}

std::string redact_authority(std::string_view url) {
    const auto [begin, end] = password_span(url);
    if (begin == end)
        return std::string(url);
    return std::string(url.substr(0, begin)) + "***" + std::string(url.substr(end));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// How a URL spells `text` with its reserved characters escaped.
std::string percent_encoded(std::string_view text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            out.push_back(static_cast<char>(c));
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string percent_decoded(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
            hex_value(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
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

// The password of a postgres URL as libpq reads it, empty when none: where
// libpq's reading and password_span() differ (`app:p?a=ss@host`), libpq's wins.
// Also of a libpq keyword string (`host=db password=x`) given as a URL.
std::string libpq_password(std::string_view url) {
    const std::string text(url);
    std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(
        PQconninfoParse(text.c_str(), nullptr), PQconninfoFree);
    for (const PQconninfoOption* o = options.get(); o && o->keyword; ++o)
        if (o->val && std::string_view(o->keyword) == "password")
            return o->val;
    return {};
}

// The spellings of a URL's passwords that a message could quote: in the
// authority and in `password=` parameters, raw and percent-decoded, and the
// password libpq reads, raw and percent-encoded.
std::vector<std::string> secrets_of(std::string_view url) {
    std::vector<std::string> secrets;
    if (auto password = libpq_password(url); !password.empty()) {
        secrets.push_back(percent_encoded(password));
        secrets.push_back(std::move(password));
    }
    const auto [begin, end] = password_span(url);
    if (begin < end)
        secrets.emplace_back(url.substr(begin, end - begin));
    // With more than one '@', a reader (libpq) may end the password at any.
    for (auto at = url.find('@', begin); begin < end && at < end; at = url.find('@', at + 1))
        secrets.emplace_back(url.substr(begin, at - begin));
    auto pos = url.find('?', end);
    while (pos != std::string_view::npos && pos + 1 < url.size()) {
        const auto pair_begin = pos + 1;
        pos = url.find_first_of("&#", pair_begin);
        const auto pair = url.substr(
            pair_begin, pos == std::string_view::npos ? std::string_view::npos : pos - pair_begin);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos) {
            const std::string key = to_lower(pair.substr(0, eq));
            if (key == "password" || key == "pass" || key == "pwd")
                secrets.emplace_back(pair.substr(eq + 1));
        }
        if (pos != std::string_view::npos && url[pos] == '#')
            break;
    }
    const auto raw = secrets.size();
    for (std::size_t i = 0; i < raw; ++i)
        secrets.push_back(percent_decoded(secrets[i]));
    secrets.erase(std::remove_if(secrets.begin(), secrets.end(),
                                 [](const std::string& s) { return s.empty(); }),
                  secrets.end());
    // Longest first: a password may contain its own decoded form's prefix.
    std::sort(secrets.begin(), secrets.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return secrets;
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
        // libpq quotes the URL it could not parse, or a piece of it. The
        // redacted URL may be the URL itself (no password): search on after it.
        const std::string redacted = redact_url(url);
        for (auto at = reason.find(text); at != std::string::npos;
             at = reason.find(text, at + redacted.size()))
            reason.replace(at, text.size(), redacted);
        throw error(error_kind::usage, "invalid postgres url '" + redact_url(url) +
                                           "': " + redact_secrets(reason, url));
    }
    std::map<std::string, std::string> parameters;
    for (const PQconninfoOption* o = options.get(); o->keyword; ++o)
        if (o->val)
            parameters[o->keyword] = o->val;
    // libpq would only find out when connecting, as a connection error.
    if (auto port = parameters.find("port"); port != parameters.end()) {
        if (port->second.find_first_not_of("0123456789,") != std::string::npos)
            throw error(error_kind::usage,
                        "invalid postgres url '" + redact_url(url) + "': the port is not a number");
        // One port per host, comma-separated; an empty one is the default.
        for (std::size_t pos = 0; pos <= port->second.size();) {
            auto comma = port->second.find(',', pos);
            if (comma == std::string::npos)
                comma = port->second.size();
            const std::string one = port->second.substr(pos, comma - pos);
            const auto digits = std::min(one.find_first_not_of('0'), one.size());
            if (!one.empty() &&
                (one.size() - digits > 5 || std::stoi(one) < 1 || std::stoi(one) > 65535))
                throw error(error_kind::usage, "invalid postgres url '" + redact_url(url) +
                                                   "': port " + one +
                                                   " is out of range (1 to 65535)");
            pos = comma + 1;
        }
    }
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

std::string redact_secrets(std::string text, std::string_view url) {
    for (const auto& secret : secrets_of(url))
        for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
            text.replace(at, secret.size(), "***");
    return text;
}

std::string redact_url(std::string_view url) {
    std::string out = redact_query(redact_authority(url));
    // And the password as libpq reads it, unless it lies in the part masked
    // already: where the URL is odd, libpq's reading wins over the
    // authority's (`app:p?a=ss@host`; `app:a@b?password=@h/db`, whose
    // password is the query's `@h/db`).
    const auto [begin, end] = password_span(url);
    const std::string masked(url.substr(begin, begin < end ? end - begin : 0));
    if (const std::string password = libpq_password(url);
        !password.empty() && masked.find(password) == std::string::npos &&
        percent_decoded(masked).find(password) == std::string::npos)
        for (const auto& spelling : {password, percent_encoded(password)})
            for (auto at = out.find(spelling); at != std::string::npos;
                 at = out.find(spelling, at + 3))
                out.replace(at, spelling.size(), "***");
    return out;
}

namespace {

// The value of `synchronous=` among a sqlite URL's query parameters.
std::string sqlite_synchronous(std::string_view url, std::string_view query) {
    std::string value;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view parameter = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (!starts_with(parameter, "synchronous="))
            continue;
        value = to_lower(std::string(parameter.substr(12)));
        if (value != "off" && value != "normal" && value != "full" && value != "extra")
            throw error(error_kind::usage, "sqlite url '" + std::string(url) +
                                               "': synchronous must be off, normal, "
                                               "full or extra");
    }
    return value;
}

}  // namespace

database_url parse_database_url(std::string_view url) {
    database_url result;
    result.text = std::string(url);
    if (starts_with(url, "sqlite:")) {
        std::string_view rest = url.substr(7);
        if (starts_with(rest, "//"))
            rest.remove_prefix(2);
        auto query = rest.find('?');
        if (query != std::string_view::npos) {
            result.synchronous = sqlite_synchronous(url, rest.substr(query + 1));
            rest = rest.substr(0, query);
        }
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
