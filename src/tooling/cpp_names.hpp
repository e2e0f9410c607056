// C++ names and literals for what the generated code declares: shared by the
// code generators and the query file reader, which refuses two queries that
// would get one C++ name.
#pragma once

#include <string>

namespace strata {

// A valid C++ identifier for an SQL name: not a keyword, no characters
// outside [A-Za-z0-9_], no leading digit, no reserved `__` or `_X` spelling.
std::string cpp_identifier(const std::string& sql_name);

// `text` as the body of a C++ string literal (between the quotes).
std::string cpp_string_body(const std::string& text);

// Throws strata::error (usage) unless `ns` is a C++ namespace name (app::db).
void check_cpp_namespace(const std::string& ns);

}  // namespace strata
