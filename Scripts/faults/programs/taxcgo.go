// A cgo program linked against libtaxcalc.so.1 (see taxcalc.c): the glibc loader fails before main.
package main

/*
#cgo LDFLAGS: -L${SRCDIR} -ltaxcalc
int taxcalc_rate(int);
*/
import "C"
import "fmt"

func main() { fmt.Println("tax", C.taxcalc_rate(12345)) }
