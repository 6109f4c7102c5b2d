// Command baseline reads a file and prints its length: the floor the
// other size/ programs are measured against.
package main

import (
	"fmt"
	"os"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	fmt.Println(len(data))
}
