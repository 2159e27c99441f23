/* A program linked against libtaxcalc.so.1 (see taxcalc.c). */
#include <stdio.h>
int taxcalc_rate(int);
int taxcalc_round(int);
int main(void) { printf("tax %d\n", taxcalc_round(taxcalc_rate(12345))); return 0; }
