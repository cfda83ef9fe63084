// Turning the command line's FILE arguments into documents: folders are
// walked recursively, so a batch can mirror its tree under --out-dir.
#pragma once

#include <string>
#include <vector>

namespace copydesk {

struct InputFile {
  std::string path;      // as given, or found under a given folder
  std::string relative;  // the path to write under --out-dir: the file name for a
                         // file argument, the path below the folder for a folder's file
};

// Which files of a folder input are taken: shell globs (fnmatch) tried on the
// path below the folder and on the file name. Empty include: every file.
struct InputFilter {
  std::vector<std::string> include;  // a file must match one of these
  std::vector<std::string> exclude;  // and none of these
};

// An entry of a folder input that passes the filter but is not read as a
// document. A named pipe, a socket, a device or a symbolic link to a folder
// (links to folders are not followed) is not a document; a symbolic link to
// nothing, or an entry that cannot be examined, is an error.
struct SkippedInput {
  std::string path;
  std::string reason;  // e.g. "a symbolic link to a missing file"
  bool error = false;  // a broken entry rather than one that is not a document
};

// Files stay as given ("-" too); a folder becomes its regular files that pass
// `filter`, sorted, hidden files and folders (".name") skipped. Entries that
// pass the filter but are not readable files go to `skipped` (sorted) when it
// is given. Throws Error for a folder that cannot be read.
std::vector<InputFile> expand_inputs(const std::vector<std::string>& arguments, const InputFilter& filter = {},
                                     std::vector<SkippedInput>* skipped = nullptr);

}  // namespace copydesk
