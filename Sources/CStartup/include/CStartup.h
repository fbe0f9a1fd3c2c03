// Process start-up work done in C, before Swift's main; nothing to call from Swift.
#ifndef SOUP_CSTARTUP_H
#define SOUP_CSTARTUP_H
#endif
