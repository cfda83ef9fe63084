// Where an installed copydesk keeps its data: share/copydesk/dictionaries/
// beside the program (bin/) or the Python module (lib/python3/dist-packages/
// copydesk/), or in a folder above them.
#pragma once

#include <string>
#include <string_view>

namespace copydesk {

// The path of share/copydesk/dictionaries/NAME in the installation this code
// was loaded from, or "" when there is none (a build tree).
std::string installed_data_file(std::string_view name);

}  // namespace copydesk
