from deepfaq.cli import main

main()
