// Built when cpp-httplib (Debian: libcpp-httplib-dev) was not found.
#include <iostream>

#include "server/server.h"

namespace copydesk {

int serve(const Config&, const ServeOptions&) {
  std::cerr << "copydesk: this build has no server: install libcpp-httplib-dev and rebuild\n";
  return 2;
}

}  // namespace copydesk
