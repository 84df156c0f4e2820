#include "cli/commands.h"

int main(int argc, char** argv) {
  return huiyin::cli::Main(argc, argv);
}
