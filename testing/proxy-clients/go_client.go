// See README.md: one request per URL argument through net/http's default transport, results on stdout.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	key := os.Getenv("E2E_API_KEY")
	shown := key
	if shown == "" {
		shown = "-"
	}
	fmt.Println("KEY", shown)
	client := &http.Client{Timeout: 60 * time.Second}
	for _, url := range os.Args[1:] {
		request, err := http.NewRequest("GET", url, nil)
		if err != nil {
			fmt.Println("ERROR", url, err)
			continue
		}
		request.Header.Set("Authorization", "Bearer "+key)
		response, err := client.Do(request)
		if err != nil {
			fmt.Println("ERROR", url, strings.ReplaceAll(err.Error(), "\n", " "))
			continue
		}
		body, _ := io.ReadAll(response.Body)
		response.Body.Close()
		fmt.Println("RESULT", url, response.StatusCode, strings.ReplaceAll(string(body), "\n", " "))
	}
}
