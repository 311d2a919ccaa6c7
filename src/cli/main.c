#include <stdio.h>
int main(void) { puts("spyscan"); return 0; }
